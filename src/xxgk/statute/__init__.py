"""The Regulation as code (pure Python, never imports Django)."""
