"""The README stays true: its first commands exist, and it documents every setting."""

from __future__ import annotations

import re

from pedkg.config import PROJECT_ROOT, describe

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_serve_and_test_commands_of_the_makefile():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make serve", "make test"]
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("serve", "test"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for variable, _, _ in describe():
        assert f"`{variable}`" in README or f"`{variable}`," in README, variable


SECURITY = (PROJECT_ROOT / "SECURITY.md").read_text(encoding="utf-8")


def test_the_readme_links_the_security_policy_and_its_settings_and_defaults_are_real():
    assert "(SECURITY.md)" in README
    variables = {variable: default for variable, default, _ in describe()}
    named = set(re.findall(r"PEDKG_[A-Z_]*[A-Z]\b(?!_\*)", SECURITY))
    assert named <= set(variables), named - set(variables)
    # each limit's row in the table names its setting and that setting's default
    for row in re.findall(r"^\| [^|]*\(`(PEDKG_[A-Z_]+)`\) \| ([^|]+) \|", SECURITY, re.M):
        variable, stated = row
        number = re.sub(r"[^\d.]", "", stated.split()[0])
        assert float(number) == float(variables[variable]), (variable, stated, variables[variable])
    # and every test file it cites exists
    for cited in set(re.findall(r"`(test_\w+\.py)`", SECURITY)):
        assert (PROJECT_ROOT / "tests" / cited).exists(), cited
