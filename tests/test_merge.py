from retrieval.merge import group_identical, sentence_key


def test_key_ignores_wrapping_quotes_and_case():
    wrapped = "Ankara has backed Azerbaijan\nin the conflict, the “ministry” said."
    assert sentence_key(wrapped) == sentence_key(
        'ankara has backed azerbaijan in the conflict, the "ministry" said.'
    )


def test_spelling_variants_stay_separate_and_order_is_kept():
    items = ["in Nagorny Karabakh.", "Other sentence.", "in  Nagorny\nKarabakh.", "in Nagorno Karabakh."]
    assert group_identical(items, str) == [
        ["in Nagorny Karabakh.", "in  Nagorny\nKarabakh."],
        ["Other sentence."],
        ["in Nagorno Karabakh."],
    ]
