from talkframe.motion.visemes import TARGETS, Viseme, clean_symbol, diphthong_glide, is_stressed, to_viseme


def test_ipa_and_arpabet_map_to_the_same_visemes():
    pairs = [("p", "P"), ("m", "M"), ("f", "F"), ("ɑː", "AA1"), ("uː", "UW0"), ("iː", "IY1"), ("s", "S"),
             ("ʃ", "SH"), ("w", "W"), ("θ", "TH")]
    for ipa, arpa in pairs:
        assert to_viseme(ipa) == to_viseme(arpa), (ipa, arpa)


def test_silence_gap_and_unknown():
    assert to_viseme("") == Viseme.SIL
    assert to_viseme(" ") == Viseme.SIL
    assert to_viseme("SIL") == Viseme.SIL
    assert to_viseme("ʔ") == Viseme.DD
    assert to_viseme("☃") == Viseme.NN  # unknown symbols get a neutral, slightly open consonant


def test_stress_marks_are_stripped_but_seen():
    assert clean_symbol("ˈaɪ") == "aɪ"
    assert clean_symbol("AH0") == "AH"
    assert is_stressed("ˈaɪ") and is_stressed("AY1") and not is_stressed("AY0")
    assert to_viseme("ˈaɪ") == Viseme.AA and diphthong_glide("ˈaɪ") == Viseme.IH
    assert diphthong_glide("oʊ") == Viseme.OU


def test_targets_are_ordered_like_speech():
    assert TARGETS[Viseme.PP].closure == 1.0 and TARGETS[Viseme.PP].jaw == 0.0
    assert TARGETS[Viseme.AA].jaw > TARGETS[Viseme.E].jaw > TARGETS[Viseme.SS].jaw
    assert TARGETS[Viseme.OU].width < 0 < TARGETS[Viseme.IH].width
    assert TARGETS[Viseme.FF].lip_teeth == 1.0
