package dev.musicshare.config;

/** A setting whose value cannot work; the message names the variable, the value and the limit. */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
