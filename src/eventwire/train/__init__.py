"""``make train``: build the learned parts eventwire ships as package data.

* ``word_classes``: which words are alike, from the en_core_web_md word vectors
  (``data/word_classes.npz``);
* ``events``: the trigger model and the record scorer of the event stage, from the tuned part
  of ``../shared/eval/news-sentences`` (``data/event_model.npz``).

Training needs scikit-learn and the vectors (``pip install -e '.[train]'`` and the vectors
package, as ``make train`` does); running eventwire needs neither.
"""
