"""Documents the platform produces: Word files (``docx``) and PDF certificates (``pdf``)."""
