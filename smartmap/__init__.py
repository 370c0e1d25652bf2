"""smartmap: territorial smart-specialisation mapping of a Swedish region (Cohes3ion); Region
Stockholm's package ships as the default.

>>> import smartmap
>>> t = smartmap.load_territory()
>>> len(t.municipalities)
26
"""

from smartmap.core.errors import DataValidationError, Problem, SmartmapError
from smartmap.data.layers import Territory, load_territory

__version__ = "0.1.0"

__all__ = [
    "DataValidationError",
    "Problem",
    "SmartmapError",
    "Territory",
    "__version__",
    "load_territory",
]
