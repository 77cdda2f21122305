"""Build tools for pictures: what the project draws (``synthetic``), the free bundled
photographs it may use (``free_images``), the shipped background statistics
(``background_build``) and the image sample cases (``samples_build``).

None of this is needed at run time: the product reads only the statistics file
``analysis/measure/image/data/background.json`` and the committed samples.
"""
