"""The frontend blueprint: serves the single-page app's shell for every client route."""
