/** A small application with one cypclass, on the module path. */
module org.example.hello {
    requires org.cypclass.objects;
}
