"""Start the smartmap Streamlit app: ``streamlit run app.py`` (see README)."""

from smartmap.app.main import run

run()
