"""The JSON Schema of a model with foreign keys describes what its JSON carries, as pydantic
users read it: ``model_dump_json()`` writes the key (``author_id``), never the related
instance, and ``model_validate_json()`` takes the key (an instance, which JSON cannot
carry, is the only value the relation ``author`` takes). The schema listed ``author`` as
any value at all ({"title": "Author"}) in validation mode, and the key of a required
relation as optional and nullable (default null), which validation refuses. Now the
relation is left out in both modes (pydantic's answer for a field no JSON value can fill is
to skip it), and a required relation's key is the key's type, required; a nullable one's
stays optional and nullable. Checked with jsonschema against what ferrule itself writes and
takes, on each database."""

from __future__ import annotations

import json

import jsonschema
import pytest

from ferrule.errors import ValidationError

from .conftest import opened
from .models import Author, Post, Profile


@pytest.mark.parametrize("mode", ["validation", "serialization"])
def test_relations_are_their_keys(mode: str) -> None:
    schema = Post.model_json_schema(mode=mode)
    properties = schema["properties"]
    assert "author" not in properties and "editor" not in properties
    assert properties["author_id"]["type"] == "integer"
    assert "default" not in properties["author_id"]
    assert schema["required"] == ["title", "author_id"]  # in the fields' order
    editor = properties["editor_id"]
    assert {"type": "null"} in editor["anyOf"] and editor["default"] is None
    assert "editor_id" not in schema["required"]
    one = Profile.model_json_schema(mode=mode)
    assert "author" not in one["properties"] and "author_id" in one["required"]


async def test_the_schema_describes_what_ferrule_writes_and_takes(url: str) -> None:
    writes = Post.model_json_schema(mode="serialization")
    takes = Post.model_json_schema(mode="validation")
    async with opened(url):
        ann = await Author.create(name="ann")
        made = await Post.create(title="t", author=ann, editor=ann)
        alone = await Post.create(title="u", author=ann)
        for post in [
            made,
            alone,
            await Post.select_related("author", "editor").get(id=made.id),
            *await Post.prefetch_related("tags").order_by("id"),
        ]:
            jsonschema.validate(json.loads(post.model_dump_json()), writes)
    good = [{"title": "x", "author_id": 3}, {"title": "x", "author_id": 3, "editor_id": None}]
    bad = [
        {"title": "x"},
        {"title": "x", "author_id": None},
        {"title": "x", "author": {"id": 3, "name": "a"}},
        {"title": "x", "author": 3},
    ]
    for given in good:
        jsonschema.validate(given, takes)
        Post.model_validate_json(json.dumps(given))
    for given in bad:
        with pytest.raises(ValidationError):
            Post.model_validate_json(json.dumps(given))
        if "author" not in given:  # an unknown key is let through (extra="ignore")
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(given, takes)
