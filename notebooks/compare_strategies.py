# %% [markdown]
# # Comparing response strategies
#
# Load the calibrated benchmark scenario, run a few replications of each strategy on the
# same seeds, and look at time to recovery (TTR) beyond its mean: incident durations are
# heavy-tailed, so medians, p90 and confidence intervals say more than a mean alone.
# Set `REPLICATIONS` higher for tighter intervals.

# %%
import os
from pathlib import Path

import duckdb

from sim.experiments import compare_on, open_executor
from sim.spec import load_scenario

ROOT = Path(__file__).resolve().parents[1] if "__file__" in globals() else Path.cwd().parent
REPLICATIONS = int(os.environ.get("GAMEDAY_NOTEBOOK_REPLICATIONS", "10"))

spec = load_scenario(ROOT / "scenarios" / "seed-benchmark.yaml")
with open_executor("serial") as executor:
    result = compare_on(executor, spec, list(spec.strategies), REPLICATIONS, seed=1)

# %% [markdown]
# ## MTTR with 95% confidence intervals (cluster bootstrap over replications)

# %%
for name, s in result.summary["strategies"].items():
    m = s["mttr"]
    lo, hi = m["ci95"]
    print(
        f"{name:>7}: MTTR mean {m['mean']:6.1f} min [{lo:.1f}, {hi:.1f}], "
        f"median {m['median']:6.1f}, p90 {m['p90']:6.1f}, "
        f"error rate {s['error_rate']['value']:.1%}"
    )

# %% [markdown]
# ## The tail: what share of incidents take longer than two hours?
# The incident table is a pandas DataFrame; DuckDB queries it in place.

# %%
incidents = result.table
tail = duckdb.sql(
    """
    SELECT strategy,
           count(*) AS incidents,
           avg(CASE WHEN ttr > 120 THEN 1 ELSE 0 END) AS share_over_2h,
           quantile_cont(ttr, 0.99) AS p99_minutes
    FROM incidents
    WHERE NOT noise AND ttr IS NOT NULL
    GROUP BY strategy
    ORDER BY p99_minutes DESC
    """
).df()
print(tail.to_string(index=False))

# %% [markdown]
# ## Paired difference: semi against manual, on the same seeds

# %%
paired = result.summary["paired"]["semi"]["mttr_mean"]
print(
    f"semi - manual: {paired['value']:+.1f} min "
    f"[{paired['ci95'][0]:+.1f}, {paired['ci95'][1]:+.1f}] "
    f"({paired['relative_pct']['value']:+.0f}%)"
)
