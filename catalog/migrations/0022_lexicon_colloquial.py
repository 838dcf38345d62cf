"""More of the words residents use for a need (issue #18): everyday and spoken phrasing in
Finnish, Swedish and English beside the words the services use. Adds words to the starting
groups of 0018 (an editor's own words and removals of other words are kept) and new groups."""

from django.db import migrations

# (group, Finnish base forms, Swedish, English): words added to a group, created when missing.
ADDITIONS = [
    ("uni", ["nukahtaa", "nukuttaa", "unilääke", "valvominen"], ["somna", "sömnsvårigheter", "sömnbrist"], ["asleep", "sleepless"]),
    ("alkoholi", ["ryypätä", "ryyppääminen", "raitistua", "raittius", "juoppo"], ["supa", "nykter", "nykterhet"], ["drunk", "sober", "sobriety", "booze"]),
    ("huumeet", ["pilvi", "hasis", "amfetamiini", "piri"], ["hasch", "knark", "cannabis"], ["weed", "cannabis", "marijuana"]),
    ("rahapelit", ["rahapeli", "peliriippuvuus", "pelaaminen", "uhkapeli", "pelihaitta"], ["spelberoende", "spelproblem", "hasardspel"], ["gambling", "gamble", "betting", "casino"]),
    ("suru", ["suru", "sureminen", "leski", "menetys", "sururyhmä"], ["sorg", "änka", "änkling"], ["grief", "grieving", "widow", "widower", "bereavement"]),
    ("kiusaaminen", ["kiusaaminen", "kiusata", "koulukiusaaminen"], ["mobbning", "mobbad", "mobbat", "mobba"], ["bullying", "bullied", "bully"]),
    ("väkivalta", ["lyödä", "hakata"], ["slagen", "misshandel", "misshandlad"], ["beaten", "domestic"]),
    ("muisti", ["unohtaa", "unohtelu"], ["glömma", "glömmer", "glömska"], ["forget", "forgetting", "forgetful"]),
    ("yksinäisyys", ["yksin", "tutustua", "kohtaamispaikka"], ["träffa", "umgås"], ["alone", "meet"]),
    ("omaishoito", [], ["vårda", "anhörigvårdare"], ["caring", "carers"]),
    ("harrastukset", ["harrastus", "harrastaa", "käsityö", "kerho", "luova"], ["hobby", "fritid", "handarbete", "kreativ"], ["hobby", "hobbies", "crafts", "creative"]),
    ("nuoret", [], ["tonåring", "tonåringen", "tonåringar"], ["teenager", "teenagers"]),
    ("kriisi", ["itsemurha", "itsetuho"], ["självmord"], ["suicide", "suicidal"]),
    ("ruoka", ["ruokakassi", "ruokajono", "leipäjono"], ["matkasse", "mathjälp"], ["groceries"]),
    ("raha", ["köyhyys", "pienituloinen"], ["pengar"], ["afford"]),
    ("asuminen", ["asunnoton", "asunnottomuus"], ["bostadslös", "hemlös"], ["homeless", "homelessness"]),
]  # fmt: skip


def add_words(apps, schema_editor):
    group_model = apps.get_model("catalog", "SearchSynonymGroup")
    for name, fi, sv, en in ADDITIONS:
        group, _ = group_model.objects.get_or_create(name=name)
        for field, words in (("words_fi", fi), ("words_sv", sv), ("words_en", en)):
            current = list(getattr(group, field))
            setattr(group, field, current + [w for w in words if w not in current])
        group.save()


def remove_words(apps, schema_editor):
    group_model = apps.get_model("catalog", "SearchSynonymGroup")
    for name, fi, sv, en in ADDITIONS:
        group = group_model.objects.filter(name=name).first()
        if group is None:
            continue
        for field, words in (("words_fi", fi), ("words_sv", sv), ("words_en", en)):
            setattr(group, field, [w for w in getattr(group, field) if w not in words])
        if group.words_fi or group.words_sv or group.words_en:
            group.save()
        else:
            group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0021_service_scope"),
    ]

    operations = [migrations.RunPython(add_words, remove_words)]
