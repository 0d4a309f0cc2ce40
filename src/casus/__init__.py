"""casus: news reports to geopolitical event data (PLOVER/CAMEO), traceable to the evidence."""

__version__ = "0.1.0"
