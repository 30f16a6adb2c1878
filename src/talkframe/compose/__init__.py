"""Scene composition: background (`background`, `fit`, `play_style`), avatar placement (`layout`), text and
watermark overlays (`text`, `watermark`), blended per frame by `scene.SceneComposer`."""
