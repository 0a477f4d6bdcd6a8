"""The import contract of docs/ARCHITECTURE.md, checked on the source (nothing is run).

`.ci/run` runs this file on its own before the suite. Layers import downwards only:

    forms.engine  <-  forms.kinds.<kind>  <-  forms.logistics  <-  wiring
                                        <-  forms.partners (engine + prescription)

- ``content`` never imports ``forms``, not even inside a function;
- the engine imports no kind, no logistics and not the ``forms.models`` list;
- a kind imports the engine and itself (plus the kinds named in KIND_DEPENDENCIES);
- the logistics import no wiring (admin hooks loader, commands);
- the shared leaves (access, enums, model fields, site rules) import nothing of ``forms``;
- an import inside a function says why in a comment or the function's docstring.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_LEAVES = ("forms.access", "forms.enums", "forms.model_fields", "forms.site_rules")
# A handover sheet names the prescription it answers: the one kind-to-kind dependency.
KIND_DEPENDENCIES = {"handover": {"prescription"}}


def python_files(folder):
    return sorted(
        path.relative_to(ROOT)
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    )


def parse(path):
    return ast.parse((ROOT / path).read_text(), filename=str(path))


def imported_modules(path):
    """Every module ``path`` imports, wherever the import statement is."""
    modules = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "forms":
                modules += [f"forms.{alias.name}" for alias in node.names]
            else:
                modules.append(node.module)
    return modules


def is_within(module, prefix):
    return module == prefix or module.startswith(prefix + ".")


def offenders(folder, forbidden, allowed=lambda path, module: False):
    return [
        f"{path}: {module}"
        for path in python_files(folder)
        for module in imported_modules(path)
        if any(is_within(module, prefix) for prefix in forbidden) and not allowed(path, module)
    ]


def kind_packages():
    return sorted(
        path.name for path in (ROOT / "forms/kinds").iterdir() if (path / "__init__.py").exists()
    )


def test_content_never_imports_forms():
    assert offenders("content", ["forms"]) == []


def test_the_engine_imports_no_kind_no_logistics_and_not_the_model_list():
    assert offenders("forms/engine", ["forms.kinds", "forms.logistics", "forms.models"]) == []


def test_the_engine_imports_only_itself_and_the_shared_leaves_of_forms():
    found = [
        item
        for item in offenders("forms/engine", ["forms"])
        if not any(is_within(item.split(": ")[1], ok) for ok in ("forms.engine", *SHARED_LEAVES))
    ]
    assert found == []


def test_each_kind_imports_the_engine_and_itself_only():
    assert {"generic", "pledge", "prescription", "handover"} <= set(kind_packages())
    found = []
    for kind in kind_packages():
        allowed_kinds = {kind, *KIND_DEPENDENCIES.get(kind, ())}
        allowed = ("forms.engine", *SHARED_LEAVES, *(f"forms.kinds.{k}" for k in allowed_kinds))
        found += [
            item
            for item in offenders(f"forms/kinds/{kind}", ["forms"])
            if not any(is_within(item.split(": ")[1], ok) for ok in allowed)
        ]
    assert found == []


def test_the_logistics_depend_on_kinds_and_engine_never_on_wiring():
    assert offenders("forms/logistics", ["forms.wagtail_hooks", "forms.management"]) == []


def test_the_shared_leaves_import_nothing_of_forms():
    found = []
    for leaf in SHARED_LEAVES:
        path = Path(*leaf.split(".")).with_suffix(".py")
        found += [f"{path}: {m}" for m in imported_modules(path) if is_within(m, "forms")]
    assert found == []


def test_nothing_outside_forms_imports_its_inner_layers_except_wiring():
    """portal's URLs and demo loader are wiring; nothing else outside ``forms`` reaches in."""
    found = offenders(
        "portal",
        ["forms"],
        allowed=lambda path, module: str(path).startswith(("portal/demo/", "portal/urls.py")),
    )
    assert found == []


def _functions_with_inner_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield node, inner


def test_an_import_inside_a_function_says_why():
    found = []
    for folder in ("forms", "content", "portal"):
        for path in python_files(folder):
            lines = (ROOT / path).read_text().splitlines()
            for function, node in _functions_with_inner_imports(parse(path)):
                docstring = ast.get_docstring(function) or ""
                around = lines[function.lineno - 1 : node.end_lineno]
                if "import" in docstring.lower() or any("#" in line for line in around):
                    continue
                found.append(f"{path}:{node.lineno}")
    assert found == []


def test_the_code_points_to_no_issue_and_no_design_file_outside_the_repository():
    pattern = re.compile(r"\bissues? \d+\b|DESIGN\.md")
    found = []
    for folder in ("content", "forms", "portal", "templates", "tests", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt", ".md"} and path.is_file():
                for number, line in enumerate(path.read_text().splitlines(), start=1):
                    if pattern.search(line) and path.name != "test_architecture.py":
                        found.append(f"{path.relative_to(ROOT)}:{number}")
    readme = (ROOT / "README.md").read_text()
    assert found == [] and not pattern.search(readme)


def test_the_partners_layer_knows_the_engine_and_the_prescription_kind_only():
    """forms/partners (the partners' API) sits above the kinds; nothing below knows it."""
    allowed = ("forms.engine", "forms.kinds.prescription", "forms.partners", *SHARED_LEAVES)
    found = [
        item
        for item in offenders("forms/partners", ["forms"])
        if not any(is_within(item.split(": ")[1], ok) for ok in allowed)
    ]
    assert found == []
    below = ["forms/engine", "forms/kinds", "forms/logistics"]
    assert [item for folder in below for item in offenders(folder, ["forms.partners"])] == []
