"""The consensus rule of benchmarks/fui_readers.py: several blind readings of one decision's facts."""

from __future__ import annotations

from benchmarks.fui_readers import combine, consensus, field_kinds


def test_degree_answers_average_and_an_outright_split_is_a_matter_of_degree():
    assert combine("degree", "use.new_expression", [True, True, "partly"]) is True
    assert combine("degree", "use.new_expression", [True, "partly", "partly"]) == "partly"
    assert combine("degree", "use.new_expression", [True, False]) == "partly"
    assert combine("degree", "use.new_expression", ["partly", False]) is False


def test_a_field_most_readers_left_open_stays_open():
    assert combine("bool", "market.substitutes", [True, None, None]) is None
    assert combine("bool", "market.substitutes", [None, True, False]) is True  # tie: first who answered
    assert combine("bool", "market.substitutes", [False, True, True]) is True


def test_ordered_answers_take_the_median_and_half_steps_go_to_the_first_reader():
    assert combine("ordinal", "use.portion", ["small", "large", "tiny"]) == "small"
    assert combine("ordinal", "use.portion", ["tiny", "entire"]) == "moderate"
    assert combine("ordinal", "use.portion", ["tiny", "small"]) == "tiny"
    assert combine("ordinal", "use.portion", ["small", "tiny"]) == "small"
    assert combine("ordinal", "market.licensing_market", ["unknown", "unknown"]) == "unknown"
    assert combine("ordinal", "market.licensing_market", ["unknown", "none", "established"]) == "emerging"


def test_lists_keep_what_most_readers_chose_in_the_first_readers_order():
    assert combine("list", "use.purposes", [["parody", "comment"], ["comment", "criticism"], ["criticism"]]) == [
        "comment",
        "criticism",
    ]
    assert combine("list", "use.purposes", [["parody", "comment"], ["comment"]]) == ["parody", "comment"]


def test_one_reading_is_its_own_consensus_and_text_is_the_first_readers():
    kinds = field_kinds()
    first = {
        "title": "first",
        "source": {"medium": "photograph", "nature": "creative", "published": True},
        "use": {"purposes": ["news_reporting", "comment"], "portion": "entire", "same_purpose_as_source": "partly"},
    }
    assert consensus([first], kinds)["use"]["purposes"] == ["news_reporting", "comment"]
    other = {"title": "other", "use": {"portion": "small", "same_purpose_as_source": False}}
    third = {"title": "third", "use": {"portion": "small", "same_purpose_as_source": False}}
    c = consensus([first, other, third], kinds)
    assert c["title"] == "first"
    assert c["use"]["portion"] == "small" and c["use"]["entire_work"] is False
    assert c["use"]["same_purpose_as_source"] is False  # mean 1/6
    assert "source" not in c  # only one reader of three described the source: left open
