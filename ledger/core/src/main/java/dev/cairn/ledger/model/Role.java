package dev.cairn.ledger.model;

import java.util.Set;

/** Account roles. {@code MEMBER} may transact; {@code ADMIN} may grant and revoke roles. */
public enum Role {
  MEMBER(1),
  ADMIN(2);

  private final int bit;

  Role(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }

  public static Role fromCode(int code) {
    for (Role role : values()) {
      if (role.bit == code) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role code " + code);
  }

  public static int mask(Set<Role> roles) {
    int mask = 0;
    for (Role role : roles) {
      mask |= role.bit;
    }
    return mask;
  }
}
