"""The import directions of docs/ARCHITECTURE.md, checked on the source (no import is run).

- ``content`` never imports ``forms`` at module level;
- the form engine imports no kind and no logistics (devices, lots, loans, documents);
- a kind packaged on its own is named by nothing outside its package.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = [
    "forms/definition.py",
    "forms/blocks.py",
    "forms/fields.py",
    "forms/steps.py",
    "forms/wizard.py",
    "forms/submission.py",
    "forms/notifications.py",
    "forms/tasks.py",
    "forms/record_forms.py",
    "forms/admin_forms.py",
    "forms/panels.py",
    "forms/kinds/__init__.py",
    "forms/models/records.py",
    "forms/models/form_page.py",
    "forms/models/submission.py",
    "forms/models/outgoing_email.py",
]
KIND_AND_LOGISTICS_MODULES = (
    "forms.kinds.",
    "forms.services",
    "forms.device_",
    "forms.loan_",
    "forms.models.pledge",
    "forms.models.prescription",
    "forms.models.handover",
    "forms.models.device",
    "forms.models.lot",
    "forms.models.loan",
    "forms.models.documents",
)
KIND_AND_LOGISTICS_MODELS = {
    "DonorPledge",
    "Prescription",
    "PriorityCriterion",
    "HandoverSheet",
    "Device",
    "DeviceBatch",
    "Lot",
    "Loan",
    "GeneratedDocument",
}


def imports(path, module_level_only=True):
    """(module, names) of each import statement of ``path``."""
    tree = ast.parse((ROOT / path).read_text(), filename=str(path))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def python_files(folder):
    return [
        path.relative_to(ROOT)
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]


def test_content_never_imports_forms():
    offenders = [
        f"{path}: {module}"
        for path in python_files("content")
        for module, _names in imports(path)
        if module == "forms" or module.startswith("forms.")
    ]
    assert offenders == []


def test_the_engine_imports_no_kind_and_no_logistics():
    offenders = []
    for path in ENGINE:
        for module, names in imports(path):
            if module.startswith(KIND_AND_LOGISTICS_MODULES):
                offenders.append(f"{path}: {module}")
            if module == "forms.models" and KIND_AND_LOGISTICS_MODELS & set(names):
                offenders.append(f"{path}: {sorted(KIND_AND_LOGISTICS_MODELS & set(names))}")
    assert offenders == []


def test_a_kind_package_is_named_by_nothing_outside_it():
    packages = [path.name for path in (ROOT / "forms" / "kinds").iterdir() if path.is_dir()]
    packages = [name for name in packages if (ROOT / "forms/kinds" / name / "__init__.py").exists()]
    assert "generic" in packages
    offenders = []
    for folder in ("forms", "content", "portal"):
        for path in python_files(folder):
            for name in packages:
                if str(path).startswith(f"forms/kinds/{name}/"):
                    continue
                for module, _names in imports(path, module_level_only=False):
                    if module.startswith(f"forms.kinds.{name}"):
                        offenders.append(f"{path}: {module}")
    # The demo loader fills the demo's free forms: demo data, not a dependency.
    assert [item for item in offenders if not item.startswith("portal/demo/")] == []


def test_the_code_points_to_no_issue_and_no_design_file_outside_the_repository():
    import re

    pattern = re.compile(r"\bissues? \d+\b|DESIGN\.md")
    offenders = []
    for folder in ("content", "forms", "portal", "templates", "tests", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt", ".md"} and path.is_file():
                for number, line in enumerate(path.read_text().splitlines(), start=1):
                    if pattern.search(line) and path.name != "test_architecture.py":
                        offenders.append(f"{path.relative_to(ROOT)}:{number}")
    readme = (ROOT / "README.md").read_text()
    assert offenders == [] and not pattern.search(readme)
