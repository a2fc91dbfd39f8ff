"""The dashboard's pages (Streamlit multipage: one script each)."""
