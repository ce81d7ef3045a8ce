package dev.safeguards.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlTest {

  @Test
  void state_isTheFirstSqlStateInTheCauses_neverTheDriversText() {
    assertThat(Sql.state(new IllegalStateException(new SQLException("key (ssn)=(123) exists", "23505"))))
        .isEqualTo("SQLState 23505");
  }

  @Test
  void state_withoutAnySqlState_isTheClassName_notNull() {
    assertThat(Sql.state(new SQLException("the value 'Jane Roe' is too long"))).isEqualTo("SQLException");
  }
}
