"""The statutory annual report engine (pure Python, never imports Django)."""
