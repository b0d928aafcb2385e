// Bounds on what a client controls, shared by the layers that enforce them.

/** Longest message text accepted by im.message.add / update (characters). */
export const MAX_MESSAGE_LENGTH = 20000;
