from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from warmhome.accounts.models import User
from warmhome.api.scoping import scope_exempt

router = Router()


class PostOut(Schema):
    org_id: int
    org_name: str
    role_code: str
    role_name: str
    title: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    posts: list[PostOut]
    actions: list[str]


@router.get("/me", response=MeOut, summary="当前用户")
@scope_exempt("the caller's own account and posts")
def me(request: HttpRequest) -> MeOut:
    # Authentication (session or token) has run: the caller is a signed-in user.
    user = cast(User, request.user)
    posts = list(user.current_posts())
    return MeOut(
        id=int(user.pk),
        username=user.username,
        display_name=user.display_name,
        posts=[
            PostOut(
                org_id=post.org_id,
                org_name=post.org.name,
                role_code=post.role.code,
                role_name=post.role.name,
                title=post.title,
            )
            for post in posts
        ],
        actions=sorted({action for post in posts for action in post.role.actions}),
    )
