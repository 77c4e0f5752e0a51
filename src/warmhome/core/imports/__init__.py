"""The import/export framework every roster uses (see spec.py for how a module plugs in)."""
