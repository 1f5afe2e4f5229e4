"""The knowledge of Chinese policy writing as validated data: the bottom layer of PolicyKG.

Numbering grammar, responsibility block labels and their roles, department naming, jurisdictions,
support and target vocabulary, question cues and answer wording live as YAML files in genre/data/.
This package is the only reader of those files; corpus, kg and rag ask it. It imports nothing of ours.
"""

from genre.files import DATA_DIR, data_path, read_data

__all__ = ["DATA_DIR", "data_path", "read_data"]
