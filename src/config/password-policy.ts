/** The password policy: registration, password change and the bootstrap admin (ADMIN_PASSWORD). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
