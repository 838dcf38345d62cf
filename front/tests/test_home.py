import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_the_eight_themes_in_finnish(resident):
    response = resident.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Liikunta" in html
    assert "Mielen hyvinvointi ja päihteettömyys" in html
    assert html.count('class="theme-card"') == 8


def test_home_has_skip_link_landmarks_and_search_limit(resident):
    html = resident.get("/").content.decode()
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<header" in html and "<main" in html and "<footer" in html
    assert 'maxlength="200"' in html
    assert 'role="search"' in html


@pytest.mark.parametrize(
    ("prefix", "lang", "theme_name"),
    [("/sv/", "sv", "Motion"), ("/en/", "en", "Physical activity")],
)
def test_home_in_swedish_and_english(resident, prefix, lang, theme_name):
    html = resident.get(prefix).content.decode()
    assert f'<html lang="{lang}">' in html
    assert theme_name in html


def test_language_switch_links_point_to_same_page_in_other_languages(resident):
    html = resident.get("/").content.decode()
    assert 'href="/sv/"' in html
    assert 'href="/en/"' in html
