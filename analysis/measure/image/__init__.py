"""The image comparison engine (issue #3).

Public entry points (heavy libraries are imported inside them, not here):

* ``analysis.measure.image.compare.compare_image_paths(generated, source, *, device, model, progress)``
* ``analysis.measure.image.compare.compare_image_bytes(generated, source, *, generated_name, source_name, ...)``
* ``analysis.measure.image.summary.format_image_summary(report, top=5)``
* ``analysis.measure.image.figures.decode_figure(fig) -> bytes`` (PNG)
* ``analysis.measure.image.figures.write_figures(report, folder) -> list[Path]`` (the PNG files; ``fairuse compare --figures DIR``)
* ``analysis.ingest.image.load_image(data, name) -> LoadedImage``

Modules, one idea each: ``features`` (per-image hashes, keypoints, thumbnail, style vector),
``region`` (guarded geometric matching and localisation), ``composition`` (SSIM),
``style`` (palette/texture statistics), ``background`` (the unrelated-pairs statistics that
turn values into percentiles), ``deep`` (optional user-supplied model), ``signals`` (raw
measurements and the fused copy score), ``verdict`` (worded signals and the ladder),
``figures``. The build tools (pictures the project draws, the samples and the background
statistics) live in ``benchmarks/imagegen``.
"""
