import cv2
import numpy as np
import pytest

from talkframe.avatar.face import NoFaceError, analyse_photo


def test_no_face_raises_a_clear_error():
    rng = np.random.default_rng(0)
    noise = cv2.GaussianBlur(rng.integers(0, 255, (320, 320, 3), dtype=np.uint8), (0, 0), 3)
    with pytest.raises(NoFaceError):
        analyse_photo(noise)


def test_astronaut_analysis(astronaut):
    a = analyse_photo(astronaut)
    assert a.landmarks.shape == (478, 3)
    assert 35 < a.ipd < 55 and a.faces_found == 1
    assert abs(a.yaw) < 15 and abs(a.roll) < 10
    assert a.person_mask.shape == astronaut.shape[:2]
    assert a.person_mask[120, 225] > 0.8 and a.person_mask[20, 500] < 0.2


def test_several_faces_pick_the_largest_and_say_so(astronaut):
    face = astronaut[40:220, 140:310]
    canvas = np.full((420, 760, 3), 235, np.uint8)
    canvas[20:200, 20:190] = face
    big = cv2.resize(face, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    canvas[40:400, 340:680] = big[:360, :340]
    a = analyse_photo(canvas)
    assert a.faces_found == 2 and a.note and "largest" in a.note
    assert a.landmarks[1, 0] > 340  # the nose of the big face


def test_tiny_faces_are_upscaled_for_analysis(astronaut):
    small = cv2.resize(astronaut, (200, 200), interpolation=cv2.INTER_AREA)
    a = analyse_photo(small)
    assert a.upscaled > 1.5
    assert 12 < a.ipd < 22
