"""Printing: layouts as data (layout, documents), renderers (escpos_render, png_render), transports."""
