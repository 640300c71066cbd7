/**
 * Default gesture classes: the 33 gestures of HaGRID v2 plus no_gesture, and the grasp classes
 * hand-object datasets need. A project may replace the list.
 */
export const HAGRID_V2_GESTURES = [
  "call",
  "dislike",
  "fist",
  "four",
  "grabbing",
  "grip",
  "hand_heart",
  "hand_heart2",
  "holy",
  "like",
  "little_finger",
  "middle_finger",
  "mute",
  "ok",
  "one",
  "palm",
  "peace",
  "peace_inverted",
  "point",
  "rock",
  "stop",
  "stop_inverted",
  "three",
  "three2",
  "three3",
  "three_gun",
  "thumb_index",
  "thumb_index2",
  "timeout",
  "two_up",
  "two_up_inverted",
  "xsign",
  "take_picture",
] as const;

export const DEFAULT_GESTURES = [
  ...HAGRID_V2_GESTURES,
  "no_gesture",
  "power_grasp",
  "precision_grasp",
  "other",
] as const;
