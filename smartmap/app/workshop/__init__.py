"""The scenario workshop page in small parts: the session (``session``), the actions run by
widget callbacks (``actions``), the sidebar's scenarios and parameters (``sidebar``), the
comparison with its KPIs, map and tables (``compare``), the edit forms (``edit``) and saving,
opening and sharing (``files``). ``pages/workshop_page.py`` puts them on the page; what they show
is computed by ``smartmap.app.views.workshop``.
"""
