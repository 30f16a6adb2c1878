"""Resolve: a request's ids and URLs -> local files, once per scene, before any stage runs.

    resolve_scene(scene, resolver) -> ResolvedScene     (scene.py: the stage)
    LocalResolver                                       (local.py: CLI, previews, benchmarks; built-in photos, files)
    AccountResolver                                     (account.py: the server's; database rows, storage, safe fetch)

`AccountResolver` is imported from `talkframe.resolve.account` only, so the stage never pulls in the database.
"""

from talkframe.resolve.local import LocalResolver
from talkframe.resolve.scene import (
    AvatarSource,
    PhotoSource,
    PresenterSource,
    ResolvedScene,
    Resolver,
    VideoAvatarSource,
    resolve_scene,
)

__all__ = ["AvatarSource", "LocalResolver", "PhotoSource", "PresenterSource", "ResolvedScene", "Resolver",
           "VideoAvatarSource", "resolve_scene"]
