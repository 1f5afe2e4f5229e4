"""The knowledge of Chinese policy writing as validated data: the bottom layer of PolicyKG.

Numbering grammar, responsibility block labels and their roles, department naming, jurisdictions,
support and target vocabulary, question cues and answer wording live as YAML files in genre/data/.
This package is the only reader of those files; corpus, kg and rag ask it. It imports nothing of ours.

    import genre
    g = genre.load()            # or genre.load("my/genre/folder"); raises GenreError naming file + key
    g.signature, g.blocks.find_blocks(text), g.data("departments")
"""

from genre.core import Genre, GenreError, Problem, check, derived, load, packaged, resolve
from genre.files import DATA_DIR, data_path

__all__ = ["DATA_DIR", "Genre", "GenreError", "Problem", "check", "data_path", "derived",
           "load", "packaged", "read_data", "resolve"]


def read_data(name: str, genre: Genre | None = None) -> dict:
    """Data file `name` (without .yaml) of `genre` (None: see genre.resolve), as a mapping."""
    return resolve(genre).data(name)
