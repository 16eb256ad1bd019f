"""The pure-Python SQL compiler's layers (entry point: ``sql.compiler``).

``base`` <- ``expr`` <- ``query`` <- ``write``: each module imports only those before it, and
mirrors the file of the same job in ``src/sql/compile/`` (``base.py`` is ``mod.rs``).
"""
