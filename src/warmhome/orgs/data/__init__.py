"""Organisation data sets shipped with WarmHome (the demo district)."""
