"""Signals: ``@orm.post_save(Author)`` registers ``receiver(sender, instance, **kwargs)``
(sync or async) for saves of ``Author`` (and of its subclasses); ``using`` is the database
written (as Django's), where a receiver's own writes belong. A receiver's exception
propagates: the operation and the transaction around it are rolled back. A delete sends
``pre_delete``/``post_delete`` for the rows its ``on_delete="cascade"`` removes too
(``orm.cascades``), ``"set null"`` sends nothing (both as Django's)."""

from __future__ import annotations

import contextvars
import inspect
from collections.abc import Callable
from typing import Any

from ferrule.errors import ORMError

__all__ = ["Signal", "post_delete", "post_save", "pre_delete", "pre_save"]


#: the (signal, instance) sends under way in this task, outermost first
_SENDING: contextvars.ContextVar[tuple[tuple[int, int], ...]] = contextvars.ContextVar(
    "ferrule_signals_sending", default=()
)
#: how deep sends of one signal for one instance may nest (a receiver re-saving its
#: instance once, guarded, nests 2)
_NESTED = 16


class Signal:
    """One kind of event; calling it with a model class gives the registering decorator."""

    def __init__(self, name: str, keywords: tuple[str, ...]) -> None:
        self.name = name
        self.keywords = keywords
        self._receivers: list[tuple[type, Callable[..., Any]]] = []

    def __call__(self, *senders: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        if not senders or not all(isinstance(s, type) for s in senders):
            raise TypeError(f"@orm.{self.name}(Model, ...) needs the model classes it watches")

        def register(receiver: Callable[..., Any]) -> Callable[..., Any]:
            if not callable(receiver):
                raise TypeError(f"@orm.{self.name} decorates a function, not {receiver!r}")
            self._check_takes(receiver)
            for sender in senders:
                self._receivers.append((sender, receiver))
            return receiver

        return register

    def connect(self, *args: Any, sender: type | None = None) -> None:
        """``connect(Model, receiver)``, or Django's ``connect(receiver, sender=Model)``."""
        watched, receiver = self._pair("connect", args, sender)
        self(watched)(receiver)

    def disconnect(self, *args: Any, sender: type | None = None) -> bool:
        """``disconnect(Model, receiver)``, or Django's ``disconnect(receiver, sender=Model)``;
        whether it was connected."""
        sender, receiver = self._pair("disconnect", args, sender)
        before = len(self._receivers)
        self._receivers = [
            (s, r) for s, r in self._receivers if not (s is sender and _same(r, receiver))
        ]
        return len(self._receivers) != before

    def _pair(
        self, verb: str, args: tuple[Any, ...], sender: type | None
    ) -> tuple[type, Callable[..., Any]]:
        if sender is not None and len(args) == 1:
            return sender, args[0]
        if sender is None and len(args) == 2:
            return args[0], args[1]
        raise TypeError(
            f"orm.{self.name}.{verb}(Model, receiver) or "
            f"orm.{self.name}.{verb}(receiver, sender=Model)"
        )

    def _check_takes(self, receiver: Callable[..., Any]) -> None:
        """A receiver that cannot take what is sent fails at registration, not at the first
        save (Tortoise's ``(sender, instance, created, using_db, update_fields)`` names
        the database ``using_db``; here it is ``using``, as in Django)."""
        call = receiver if inspect.isroutine(receiver) else type(receiver).__call__  # callable
        if inspect.isgeneratorfunction(call) or inspect.isasyncgenfunction(call):
            # calling it makes a generator, which no send runs: its body would never run
            raise ORMError(
                f"@orm.{self.name} receiver {getattr(receiver, '__qualname__', receiver)!r} "
                "is a generator function (its body holds a yield): it would never run; "
                "write it as a plain or async def function without yield"
            )
        try:
            signature = inspect.signature(receiver)
        except Exception:  # a builtin, or a callable whose dunders raise: nothing to check
            return
        try:
            signature.bind(None, None, **dict.fromkeys(self.keywords))
        except TypeError as exc:
            taken = ", ".join(self.keywords)
            raise ORMError(
                f"@orm.{self.name} receiver {getattr(receiver, '__qualname__', receiver)!r} "
                f"cannot take what is sent: ({exc}); write it as receiver(sender, instance, "
                f"*, {taken}) or receiver(sender, instance, **kwargs)"
            ) from None

    def has_receivers(self, sender: type) -> bool:
        if not self._receivers:
            return False
        return any(issubclass(sender, s) for s, _ in self._receivers)

    async def send(self, sender: type, instance: Any, **kwargs: Any) -> None:
        """Call each receiver watching ``sender``; refused when sends of this signal for
        ``instance`` already nest ``_NESTED`` deep in this task (a receiver saving or
        deleting the instance it was sent, each time: else a ``RecursionError`` wherever the
        stack runs out, a driver's call among them)."""
        key = (id(self), id(instance))
        sending = _SENDING.get()
        if sending.count(key) >= _NESTED:
            raise ORMError(
                f"{self.name} of this {sender.__name__} was sent again by its own receivers "
                f"{_NESTED} times over: does a receiver save() or delete() the instance it was "
                "sent, each time it is sent?"
            )
        token = _SENDING.set((*sending, key))
        try:
            for watched, receiver in list(self._receivers):
                if issubclass(sender, watched):
                    result = receiver(sender, instance, **kwargs)
                    if inspect.isawaitable(result):
                        await result
        finally:
            _SENDING.reset(token)

    def __repr__(self) -> str:
        return f"<Signal {self.name}>"


pre_save = Signal("pre_save", ("update_fields", "using"))
post_save = Signal("post_save", ("created", "update_fields", "using"))
pre_delete = Signal("pre_delete", ("using",))
post_delete = Signal("post_delete", ("using",))


def _same(registered: Any, receiver: Any) -> bool:
    """Whether ``registered`` is ``receiver``: the same object, or a bound method of the same
    function and object (each ``obj.method`` is a new one). Never ``==``, which a receiver
    may define to raise."""
    if registered is receiver:
        return True
    return (
        inspect.ismethod(registered)
        and inspect.ismethod(receiver)
        and registered.__self__ is receiver.__self__
        and registered.__func__ is receiver.__func__
    )


def watching_saves(sender: type) -> bool:
    """Whether a ``pre_save`` or ``post_save`` receiver watches ``sender`` (every save asks:
    one call, and no loop while no receiver is registered)."""
    if not pre_save._receivers and not post_save._receivers:
        return False
    return pre_save.has_receivers(sender) or post_save.has_receivers(sender)
