"""The app's screens: main (the shift), forms, handoff, lock, data, coordinator."""
