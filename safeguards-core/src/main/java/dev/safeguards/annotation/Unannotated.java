package dev.safeguards.annotation;

/** What an adapter does with a handler method that has no access annotation. */
public enum Unannotated {
  /** Refuse to start the application (the default of every adapter). */
  REFUSE,
  /** Start it, and refuse every request to that method with 403. */
  DENY,
  /** Start it with that method open to anyone. <b>Warning:</b> a method someone forgot to annotate is then public. */
  PUBLIC
}
