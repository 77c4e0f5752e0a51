"""What other modules hear of attendance: the listeners called when an attendance is finished.

A higher app (``volunteers`` credits service hours) registers from its ``AppConfig.ready``::

    from warmhome.activities.hooks import register_attendance_listener

    register_attendance_listener(credit_hours_from_attendance)

``listener(attendance)`` is called once for every attendance that gets its check-out time
(check-out of one person or of all, or a hand-ticked presence with both times), **inside the
transaction that records it**: if the listener raises, nothing is recorded (the caller sees the
error), so hours are credited atomically with the check-out. The listener may read:

* ``attendance.activity`` — the ``Activity`` (``kind.code``, ``title``, ``starts_at``,
  ``ends_at``, ``org``);
* ``attendance.person`` — the registry ``Person``, or ``None`` for a guest who signed up on the
  public page and matched no registry person (nothing to credit);
* ``attendance.checked_in_at`` / ``attendance.checked_out_at`` — aware datetimes, out > in,
  both within the activity's check-in window and its end;
* ``attendance.status`` — ``"checked_out"`` when listeners are called;
* ``attendance.org`` — the organiser unit (the certifying organisation).

A listener is called again only if an organiser corrects the times of the same attendance
(``attendance_record`` on a finished one): it must be idempotent per ``attendance.pk``.
"""

from collections.abc import Callable
from typing import Any

AttendanceListener = Callable[[Any], None]

_listeners: list[AttendanceListener] = []


def register_attendance_listener(listener: AttendanceListener) -> AttendanceListener:
    """Call ``listener(attendance)`` whenever an attendance is finished (checked out)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def unregister_attendance_listener(listener: AttendanceListener) -> None:
    """Forget ``listener`` (tests register throwaway ones)."""
    if listener in _listeners:
        _listeners.remove(listener)


def attendance_finished(attendance: Any) -> None:
    """Tell every listener; called by ``activities.services`` inside its transaction."""
    for listener in list(_listeners):
        listener(attendance)


#: ``resolver(person) -> users`` who should hear of that person's sign-up changes themselves
PersonContactResolver = Callable[[Any], Any]

_contact_resolvers: list[PersonContactResolver] = []


def register_person_contact(resolver: PersonContactResolver) -> PersonContactResolver:
    """Name the user accounts that belong to a person (a volunteer's own login, say).

    Sign-up notices (promotion from the waiting list, cancellation of the activity) go through
    the notifications outbox, which writes to users: persons are told through the users these
    resolvers return, else through the staff member who signed them up or the organiser.
    """
    if resolver not in _contact_resolvers:
        _contact_resolvers.append(resolver)
    return resolver


def unregister_person_contact(resolver: PersonContactResolver) -> None:
    if resolver in _contact_resolvers:
        _contact_resolvers.remove(resolver)


def person_contacts(person: Any) -> list[Any]:
    users: list[Any] = []
    for resolver in list(_contact_resolvers):
        users.extend(user for user in resolver(person) if user not in users)
    return users
