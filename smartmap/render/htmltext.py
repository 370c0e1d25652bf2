"""Escaping of text from data wherever it becomes HTML (popups, tooltips, tables, reports).

Besides ``& < > " '`` we escape the backtick and ``$``: folium places popup HTML inside a
JavaScript template literal, where a backtick ends the string and ``${...}`` runs code.

>>> escape('<script>alert(1)</script> `x` ${y} "q"')
'&lt;script&gt;alert(1)&lt;/script&gt; &#96;x&#96; &#36;{y} &quot;q&quot;'
>>> escape(None)
''
"""

from __future__ import annotations

import html
import re

from smartmap.core.fmt import is_missing


def escape(value: object) -> str:
    """Text of ``value`` safe to place in HTML and inside a JS template literal."""
    try:
        if is_missing(value):
            return ""
    except (TypeError, ValueError):  # a list or an array: isna answers per item; show its text
        pass
    return html.escape(str(value), quote=True).replace("`", "&#96;").replace("$", "&#36;")


def safe_url(value: object) -> str | None:
    """An http(s) URL escaped for an ``href``, or None for anything else (``javascript:`` etc.).

    >>> safe_url("https://example.org/?a=1&b=2")
    'https://example.org/?a=1&amp;b=2'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    text = text.strip()
    if not text.lower().startswith(("http://", "https://")):
        return None
    return escape(text)


def link(url: object, text: object | None = None) -> str:
    """An escaped ``<a>`` opening in a new tab, or the escaped text when the URL is not http(s)."""
    href = safe_url(url)
    label = escape(text if text is not None else url)
    if href is None:
        return label
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{label}</a>'


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


def markdown_text(value: object) -> str:
    r"""Text of ``value`` that Markdown (as Streamlit renders it) shows literally: every markup
    character is backslash-escaped, so a name cannot become a link, an image, a colour directive
    or LaTeX. Use it for data placed into ``st.markdown``/``st.caption``/``st.error`` texts.

    >>> print(markdown_text("![x](http://e/i.png) :red[a] $x$"))
    \!\[x\]\(http\://e/i\.png\) \:red\[a\] \$x\$
    """
    text = "" if value is None else str(value)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " "))
