"""The Streamlit UI of smartmap: the only package that imports streamlit."""
