"""Who-is-responsible questions in the forms users write them route to departments, and the nearby
questions that are not about responsibility keep their own intent (genre/data/intents.yaml)."""
from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.intents import route
from rag.linking import Linked


@pytest.mark.parametrize("question, intent", [
    ("建设工业互联网平台的牵头考核单位是哪个？", "departments"),   # X单位是哪个
    ("这项补贴的主管单位是哪个？", "departments"),
    ("购房补贴由谁来具体落实？", "departments"),                  # 谁来 + a qualifier before the verb
    ("研究制定实施细则由哪个部门负责？", "departments"),          # 制定 is the measure's verb, 负责 asks who
    ("这个文件是哪个部门制定的？", "metadata"),                   # who issued the document
    ("上海开源政策是哪个部门印发的？", "metadata"),
    ("购房补贴的申请单位是哪些？", "support"),                    # the applicant, not a body in charge
    ("哪些单位可以申请购房补贴？", "support"),
])
def test_responsibility_phrasings_route_to_departments_and_neighbours_do_not(question, intent):
    assert route(Linked(text=question), genre=packaged_genre()).name == intent
