from atlas.collate import name_key, name_ranks


def test_names_sort_by_pinyin_not_by_character_code():
    names = ["重庆动物园", "长江文化馆", "阿里示例馆", "中梁山图书室", "九龙青少年宫"]
    assert sorted(names, key=name_key) == ["阿里示例馆", "长江文化馆", "重庆动物园", "九龙青少年宫", "中梁山图书室"]
    assert sorted(names) != sorted(names, key=name_key)


def test_polyphones_read_as_words_and_ranks_are_dense():
    assert name_key("银行示例点")[0].startswith("yin2 hang2")
    assert name_ranks(["乙", "甲", "乙"]) == {"甲": 0, "乙": 1}
