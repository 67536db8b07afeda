"""Renderers: a model in, a Rich renderable or a string out."""
