"""The pipeline's one order (proxy/transforms/__init__.py): the invariants the order exists for."""

from __future__ import annotations

from proxy.transforms import default_pipeline, default_transforms
from proxy.transforms.our_toolbar import OurToolbar


def names() -> list[str]:
    return [t.name for t in default_transforms()]


def test_every_step_has_its_own_name():
    assert len(names()) == len(set(names()))


def test_script_removal_is_critical_and_runs_before_the_page_is_repaired():
    steps = default_transforms()
    strip = next(i for i, t in enumerate(steps) if t.name == "strip_scripts")
    assert steps[strip].critical
    assert strip < names().index("landmarks")


def test_encoding_first_and_our_toolbar_last():
    assert names()[0] == "fix_encoding"
    assert isinstance(default_transforms()[-1], OurToolbar)


def test_the_pipeline_runs_these_steps_in_this_order():
    assert [t.name for t in default_pipeline().transforms] == names()


def test_a_switch_name_turns_a_group_of_steps_off():
    switched = {t.switch_name for t in default_transforms()}
    assert "semantics" in switched
    assert sum(t.switch_name == "semantics" for t in default_transforms()) > 1


def test_a_failing_repair_is_skipped_alone(monkeypatch, caplog):
    """Each semantic repair is its own step: the image repair failing leaves forms, links and
    ARIA repaired."""
    from proxy.transforms.semantics import images
    from tests.factories import page_from_body

    def broken(page):
        raise RuntimeError("image repair broke")

    monkeypatch.setattr(images, "repair", broken)
    page = page_from_body('<form><input type="text" name="q" placeholder="搜索"></form>'
                          '<img src="/a.png"><a href="/x.html"></a>')
    default_pipeline().run(page)
    assert "semantics.images" in caplog.text
    assert page.tree.xpath("//input[@name='q']/@aria-label | //input[@name='q']/@title | "
                           "//label[.//input[@name='q']] | //label[@for]")
