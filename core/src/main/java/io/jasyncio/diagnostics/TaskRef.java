package io.jasyncio.diagnostics;

/**
 * A task named in a dump: its id (unique within its loop) and its name.
 *
 * @param id   the task's id ({@code Task.id()})
 * @param name the task's name
 */
public record TaskRef(long id, String name) {

    /** {@code #id 'name'}, as the text dumps print a task. */
    @Override
    public String toString() {
        return "#" + id + " '" + name + "'";
    }
}
