"""`RootModel[T]`: a model whose one field, ``root``, is the whole input and the whole output.

``Pets.model_validate(["a"])`` takes the bare value, ``model_dump()`` gives it back (not a
dict), and a root model nested as another model's field reads and writes the bare value too.
The cores know such a class by the ``"root"`` flag of its model schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from typing_extensions import Self, dataclass_transform

from ferrule.models.base import Model, ModelMeta
from ferrule.models.fields import MISSING, Field, FieldInfo

__all__ = ["RootModel"]

RootModelRootType = TypeVar("RootModelRootType")

if TYPE_CHECKING:
    # type checkers: ``root`` is positional (``Pets(["a"])``), as pydantic tells them too
    @dataclass_transform(kw_only_default=False, field_specifiers=(Field, FieldInfo))
    class _RootModelMeta(ModelMeta): ...

else:
    _RootModelMeta = ModelMeta


class RootModel(Model, Generic[RootModelRootType], metaclass=_RootModelMeta):
    """A model of one value, ``root``: ``RootModel[list[int]]`` or a subclass of it."""

    __slots__ = ()
    __ferrule_root_model__: ClassVar[bool] = True
    root: RootModelRootType

    def __init__(self, /, root: Any = MISSING, **data: Any) -> None:
        if data:
            if root is not MISSING:
                raise ValueError(
                    '"RootModel.__init__" accepts either a single positional argument or '
                    "arbitrary keyword arguments"
                )
            root = data
        if root is MISSING:
            super().__init__()
        else:
            super().__init__(root=root)

    @classmethod
    def model_construct(cls, root: Any = MISSING, **_: Any) -> Self:
        """An instance holding ``root`` as it is, without validation."""
        if root is MISSING:
            return super().model_construct()
        return super().model_construct(root=root)
