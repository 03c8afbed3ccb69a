"""config.yaml: every problem reported as file:line:col, flags and env override the file."""

from __future__ import annotations

import pytest

from proxy.config.load import apply_overrides, load_settings
from proxy.errors import ConfigError
from proxy.settings import Settings


def problems_of(tmp_path, text: str) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    return [str(p).split(":", 1)[1] for p in info.value.problems]


@pytest.mark.parametrize(("text", "expected"), [
    ("listen: nowhere\n", ["1:9: listen: expected HOST:PORT like 127.0.0.1:8080 (error)"]),
    ("upstream: ftp://x\n", ["1:11: upstream: expected 'demo' or an http(s) URL like "
                             "https://www.example.gov.cn, got 'ftp://x' (error)"]),
    ("upstream: https://a.gov.cn/path\n", ["1:11: upstream: an origin URL has no path, query or "
                                           "fragment (the proxy serves the whole site) (error)"]),
    ("timeouts:\n  conect: 3\n", ["2:3: timeouts.conect: unknown key; did you mean 'connect'? "
                                  "(error)"]),
    ("limits:\n  max_html_bytes: lots\n", ["2:19: limits.max_html_bytes: expected a size like "
                                           "8MiB, got 'lots' (error)"]),
    ("listen: 1.2.3.4:80\nlisten: 1.2.3.4:81\n", ["2:1: listen: duplicate key 'listen' "
                                                  "(first defined at line 1) (error)"]),
    ("listen: [\n", ["2:1: YAML syntax error: while parsing a flow node expected the node "
                     "content, but found '<stream end>' (error)"]),
    ("sites:\n  - host: a.example\n", ["2:5: sites[0].upstream: missing 'upstream' (error)"]),
], ids=["listen", "scheme", "path", "unknown-key", "size", "duplicate", "syntax", "site"])
def test_config_problems_point_at_the_line(tmp_path, text, expected):
    assert problems_of(tmp_path, text) == expected


def test_every_problem_is_reported_at_once(tmp_path):
    assert len(problems_of(tmp_path, "listen: x\nupstream: y\nworkers: -1\n")) == 3


def test_sizes_and_virtual_hosts_are_read(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("upstream: https://www.a.gov.cn\nlimits:\n  max_html_bytes: 4MiB\n"
                    "sites:\n  - host: B.Example\n    upstream: https://www.b.gov.cn\n"
                    "    aliases: [b.gov.cn]\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.limits.max_html_bytes == 4 * 2**20
    site = settings.sites[0]
    assert (site.proxy_hosts, site.host, site.names) == (
        ("b.example",), "www.b.gov.cn", frozenset({"www.b.gov.cn", "b.gov.cn"}))
    assert [o.url for o in settings.origins()] == ["https://www.b.gov.cn", "https://www.a.gov.cn"]


def test_missing_default_file_gives_defaults_but_a_named_file_must_exist(tmp_path):
    assert load_settings(tmp_path / "none.yaml") == Settings()
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "none.yaml", required=True)


def test_flags_beat_environment_which_beats_the_file():
    env = {"BFP_UPSTREAM": "https://env.gov.cn", "BFP_LISTEN": "0.0.0.0:9000"}
    settings = apply_overrides(Settings(), upstream="https://flag.gov.cn", environ=env)
    assert settings.upstream == "https://flag.gov.cn"
    assert (settings.listen_host, settings.listen_port) == ("0.0.0.0", 9000)


def test_bad_flag_is_a_config_error():
    with pytest.raises(ConfigError):
        apply_overrides(Settings(), listen="nope", environ={})


def test_robots_and_statement_groups(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("robots:\n  noindex: false\n  noindex_own_pages: true\n"
                    "statement:\n  site_name: 示例市政府\n  operator: 示例市大数据局\n"
                    "  contact: mailto:a11y@example.gov.cn\n"
                    "sites:\n  - {host: a.example, upstream: https://a.gov.cn, name: 甲县}\n",
                    encoding="utf-8")
    settings = load_settings(path)
    assert (settings.robots.noindex, settings.robots.noindex_own_pages) == (False, True)
    assert settings.statement.operator == "示例市大数据局"
    assert [o.name for o in settings.origins("http://127.0.0.1:9")] == ["甲县", "示例市政府"]
    assert Settings().robots.noindex and not Settings().robots.noindex_own_pages


def test_statement_problems(tmp_path):
    assert sorted(problems_of(tmp_path, "statement:\n  contact: call us\n  operater: x\n"
                                        "robots:\n  noindex: sometimes\n")) == [
        "2:12: statement.contact: expected mailto: or URL (error)",
        "3:3: statement.operater: unknown key; did you mean 'operator'? (error)",
        "5:12: robots.noindex: expected true or false, got 'sometimes' (error)"]


def test_speech_bounds_read_from_config_yaml(tmp_path):
    from proxy.settings import Speech

    path = tmp_path / "config.yaml"
    path.write_text("upstream: demo\nspeech:\n  concurrency: 3\n  max_cache_bytes: 1MiB\n"
                    "  per_client: 5\n", encoding="utf-8")
    assert load_settings(path).speech == Speech(concurrency=3, max_cache_bytes=2**20,
                                                per_client=5)
    assert problems_of(tmp_path, "speech:\n  concurency: 3\n") == \
        ["2:3: speech.concurency: unknown key; did you mean 'concurrency'? (error)"]
