package dev.safeguards.examples.clinic.spring;

import dev.safeguards.examples.clinic.domain.InvalidRequestException;
import dev.safeguards.http.Problem;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A request the clinic cannot act on is a 400 problem naming each field and what it must be, never the value sent.
 * Every other failure goes to the gate: a 500 with a generic body, audited (a tampered record included).
 */
@RestControllerAdvice
public class ClinicProblems {

  /** The problem of {@code e}. */
  @ExceptionHandler(InvalidRequestException.class)
  public ResponseEntity<byte[]> invalid(InvalidRequestException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE))
        .body(e.problem().body());
  }
}
