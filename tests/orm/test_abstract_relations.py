"""A relation declared on an abstract model belongs to each concrete child, as in Django: each
child's key joins to the target, and the target gets one reverse accessor per child
(``car_set``, ``boat_set``; an explicit ``related_name`` may hold Django's ``%(class)s``).
A child of a concrete model (ferrule copies the parent's fields into the child's own table)
has its own copy too.

Before, the children shared the abstract model's relation: ``Car.filter(owner__name=...)``
was "Owned has no field or relation 'name'", and the target's only reverse accessor,
``owned_set``, read the abstract model's table, which does not exist (a ProgrammingError).
"""

from __future__ import annotations

from ferrule import orm

from .conftest import opened, own_tables


class Owner(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=10)

    class Meta:
        table = "ormt_abstract_rel_owner"


class Label(orm.Model):
    id: int = orm.Field(primary_key=True)
    text: str = orm.Field(max_length=10)

    class Meta:
        table = "ormt_abstract_rel_label"


class Owned(orm.Model):
    id: int = orm.Field(primary_key=True)
    owner = orm.ForeignKeyField(Owner, on_delete="cascade")
    labels = orm.ManyToManyField(Label, related_name="%(class)s_items")
    keeper = orm.ForeignKeyField(
        Owner, related_name="kept_%(class)ss", null=True, on_delete="set null"
    )

    class Meta:
        abstract = True


class Car(Owned):
    plate: str = orm.Field(max_length=10, default="")

    class Meta:
        table = "ormt_abstract_rel_car"


class Boat(Owned):
    class Meta:
        table = "ormt_abstract_rel_boat"


class Vehicle(orm.Model):
    id: int = orm.Field(primary_key=True)
    driver = orm.ForeignKeyField(Owner, on_delete="cascade")

    class Meta:
        table = "ormt_abstract_rel_vehicle"


class Truck(Vehicle):
    class Meta:
        table = "ormt_abstract_rel_truck"


async def test_a_child_of_a_concrete_model_has_its_own_relation(url: str) -> None:
    async with opened(url), own_tables(Owner, Vehicle, Truck):
        ada = await Owner.create(name="ada")
        await Truck.create(driver=ada)
        assert await Truck.filter(driver__name="ada").count() == 1
        assert await Vehicle.filter(driver__name="ada").count() == 0
        (found,) = await Owner.prefetch_related("truck_set", "vehicle_set")
        assert (len(found.truck_set), len(found.vehicle_set)) == (1, 0)


async def test_each_child_has_the_abstract_models_relations(url: str) -> None:
    assert {"boat_set", "car_set", "kept_boats", "kept_cars"} <= set(Owner._meta.reverse)
    assert "owned_set" not in Owner._meta.reverse
    assert sorted(Label._meta.reverse) == ["boat_items", "car_items"]
    async with opened(url), own_tables(Owner, Label, Car, Boat):
        ada = await Owner.create(name="ada")
        bob = await Owner.create(name="bob")
        await Car.create(owner=ada, keeper=bob, plate="x")
        await Boat.create(owner=ada)
        await Boat.create(owner=bob, keeper=bob)
        assert await Car.filter(owner__name="ada").count() == 1
        assert await Boat.filter(owner__name="ada").count() == 1
        assert await Boat.filter(keeper__name="bob").count() == 1
        (car,) = await Car.select_related("owner", "keeper")
        assert (car.owner.name, car.keeper.name) == ("ada", "bob")
        owners = await Owner.prefetch_related("car_set", "boat_set", "kept_boats").order_by("id")
        assert [(len(o.car_set), len(o.boat_set), len(o.kept_boats)) for o in owners] == [
            (1, 1, 0),
            (0, 1, 1),
        ]
        counts = (
            await Owner.annotate(n=orm.Count("boat_set")).order_by("id").values_list("name", "n")
        )
        assert counts == [("ada", 1), ("bob", 1)]
        assert await Owner.filter(car_set__plate="x").values_list("name", flat=True) == ["ada"]
        red = await Label.create(text="red")
        await car.labels.add(red)
        await (await Boat.get(owner_id=bob.id)).labels.add(red)
        assert await Car.filter(labels__text="red").count() == 1
        (label,) = await Label.prefetch_related("car_items", "boat_items")
        assert (len(label.car_items), len(label.boat_items)) == (1, 1)
        await ada.delete()
        assert (await Car.count(), await Boat.count()) == (0, 1)
